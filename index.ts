import { taskMcpProgram } from "./components/program";

const outputs = taskMcpProgram();

export const namespace = outputs.namespace;
export const serviceUrl = outputs.serviceUrl;
export const dashboardUids = outputs.dashboardUids;
export const authTokens = outputs.authTokens;
