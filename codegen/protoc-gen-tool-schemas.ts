/**
 * protoc-gen-tool-schemas: a buf/protoc plugin (run from source by tsx, see buf.gen.yaml) that writes, for
 * every file declaring a service, `<file>_schemas.ts` with the JSON Schema of each RPC's request and
 * response message, keyed by the message's fully-qualified type name.
 *
 * It reads the same descriptors protoc-gen-es reads, so the typed client and the tool schemas can never
 * disagree about a field; the mapping rules live in proto-json-schema.ts.
 */
import type { DescMessage } from "@bufbuild/protobuf";
import { createEcmaScriptPlugin, runNodeJs } from "@bufbuild/protoplugin";
import { messageJsonSchema } from "./proto-json-schema.js";

const plugin = createEcmaScriptPlugin({
  name: "protoc-gen-tool-schemas",
  version: "v1",
  generateTs(schema) {
    for (const file of schema.files) {
      if (file.services.length === 0) continue;
      const messages = new Map<string, DescMessage>();
      for (const service of file.services) {
        for (const method of service.methods) {
          messages.set(method.input.typeName, method.input);
          messages.set(method.output.typeName, method.output);
        }
      }
      const f = schema.generateFile(`${file.name}_schemas.ts`);
      f.preamble(file);
      f.print("/**");
      f.print(" * JSON Schemas (draft 2020-12) of the request and response messages of");
      f.print(
        ` * ${file.services.map((s) => s.typeName).join(", ")}, in proto3 JSON form with proto field names.`,
      );
      f.print(" */");
      f.print(f.export("const", "jsonSchemas"), ": Record<string, Record<string, unknown>> = {");
      for (const [typeName, message] of [...messages].sort(([a], [b]) => a.localeCompare(b))) {
        const json = JSON.stringify(messageJsonSchema(message), null, 2).replace(/\n/g, "\n  ");
        f.print(`  ${JSON.stringify(typeName)}: ${json},`);
      }
      f.print("};");
    }
  },
});

runNodeJs(plugin);
