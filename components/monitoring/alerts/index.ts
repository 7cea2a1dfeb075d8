export { cpuIssuesGroup } from "./cpu-issues";
export { memoryIssuesGroup } from "./memory-issues";
export { securityIncidentsGroup } from "./security-incidents";
export { serviceDowntimeGroup } from "./service-downtime";
export { streamingIssuesGroup } from "./streaming-issues";
export { watchdogGroup } from "./watchdog";
