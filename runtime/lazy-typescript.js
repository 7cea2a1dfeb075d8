// Preloaded by policy/analyzer before the compiled policy pack starts. @pulumi/pulumi requires
// TypeScript (9 MB of JavaScript) at load time, through `typescript-shim`, for closure
// serialization, which a policy pack never does: that load was half of the pack's start
// (docs/engine-benchmark.md). This puts a stand-in for the SDK's `typescript` in Node's module
// cache; the real module loads on the first property anyone reads, so behaviour is unchanged,
// only deferred. Not for the program itself: ts-node needs TypeScript at once.
"use strict";
const Module = require("module");
const path = require("path");

// The file the SDK's `require("typescript")` resolves to, found from the SDK's own directory.
const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [process.cwd(), __dirname] }));
const file = require.resolve("typescript", { paths: [sdk] });

let real;
function load() {
    if (real === undefined) {
        delete require.cache[file]; // so that `require` below loads the real module, not this stand-in
        real = require(file);
    }
    return real;
}

const standIn = new Module(file);
standIn.filename = file;
standIn.loaded = true;
standIn.exports = new Proxy(
    {},
    {
        get: (_, key) => load()[key],
        has: (_, key) => key in load(),
        ownKeys: () => Reflect.ownKeys(load()),
        getOwnPropertyDescriptor: (_, key) => {
            const descriptor = Object.getOwnPropertyDescriptor(load(), key);
            // A proxy may not report a property non-configurable that its (empty) target lacks.
            return descriptor && { ...descriptor, configurable: true };
        },
    },
);
require.cache[file] = standIn;
