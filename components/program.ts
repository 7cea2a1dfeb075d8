import { loadStackConfig } from "./config/load";
import { TaskMcpStack } from "./stack";

/**
 * The whole program: validate the stack's config (one message, nothing registered, on error),
 * declare the stack, return its outputs. index.ts and the engine tests' inline program call it.
 */
export function taskMcpProgram() {
    const { config, secrets } = loadStackConfig();
    const stack = new TaskMcpStack("task-mcp", { config, secrets });
    return {
        namespace: stack.namespace,
        serviceUrl: stack.serviceUrl,
        dashboardUids: stack.dashboardUids,
        authTokens: stack.authTokens,
    };
}
