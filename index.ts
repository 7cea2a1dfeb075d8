import { loadStackConfig, TaskMcpStack } from "./components";

// Validation happens here, before the first resource: a bad value stops the preview with one message.
const { config, secrets } = loadStackConfig();
const stack = new TaskMcpStack("task-mcp", { config, secrets });

export const namespace = stack.namespace;
export const serviceUrl = stack.serviceUrl;
export const dashboardUids = stack.dashboardUids;
export const authTokens = stack.authTokens;
