// Preloaded by Node before the program and the policy pack start (Pulumi.yaml's `nodeargs`,
// policy/analyzer): Node 22 keeps the compiled code of every module loaded after this line in
// .tools/node-compile-cache, so TypeScript (which both ts-node and the SDK load at start), the
// Pulumi SDKs and our own modules are not compiled again at every preview. Measured in
// docs/engine-benchmark.md. Node 20 has no compile cache; there this does nothing.
"use strict";
const path = require("path");
require("module").enableCompileCache?.(path.join(__dirname, "..", ".tools", "node-compile-cache"));
