/** Entry point the engine runs (PulumiPolicy.yaml); the policies are in policies.ts. */
import { PolicyPack } from "@pulumi/policy";
import { policyDefinitions, toPolicy } from "./policies";

new PolicyPack("task-mcp", { enforcementLevel: "mandatory", policies: policyDefinitions.map(toPolicy) });
