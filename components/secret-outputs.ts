/**
 * Secret fields every Secret lists in `additionalSecretOutputs`: state keeps them encrypted
 * whatever a provider version marks. The secrets-never-plain policy requires it.
 */
export const secretOutputs = ["data", "stringData"];
