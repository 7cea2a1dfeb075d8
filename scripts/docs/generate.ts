/**
 * docs/operations/ generated from the same builders and contract the program uses, so a changed
 * threshold, contact or dashboard changes the docs in the same commit (the test command fails
 * when they differ). One file per page family (readme, slos, alerting, runbook-page, procedures,
 * server; config-errors for docs/config-errors.md); this one puts docs/operations/ together,
 * reading the hand-written runbook bodies from scripts/docs/runbooks/. scripts/docs.ts writes it.
 */
import * as fs from "fs";
import * as path from "path";
import { runbooks } from "../../components/contract";
import { stackConfig } from "../lib/stacks";
import { escalationPage, notificationPage } from "./alerting";
import { procedurePages } from "./procedures";
import { operationsReadme } from "./readme";
import { runbookPage } from "./runbook-page";
import { guideVsServerPage } from "./server";
import { sloPage } from "./slos";

const handWrittenDir = path.join(__dirname, "runbooks");

/** Every generated file, relative to docs/operations/. */
export function generateOperationsDocs(): Record<string, string> {
    const prod = stackConfig("prod");
    const files: Record<string, string> = {
        "README.md": operationsReadme(prod),
        "slos.md": sloPage(prod),
        "alerting/escalation-paths.md": escalationPage(),
        "alerting/notification-config.md": notificationPage(),
        "guide-vs-server.md": guideVsServerPage(prod),
        ...procedurePages(),
    };
    for (const runbook of runbooks) {
        files[`runbooks/${runbook}.md`] = runbookPage(runbook, prod, fs.readFileSync(path.join(handWrittenDir, `${runbook}.md`), "utf8"));
    }
    return files;
}
