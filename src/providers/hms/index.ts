/** The 100ms provider: REST API v2 from specs/100ms/openapi.yaml, management tokens given or minted. */
import { hmsManifest } from "../../tools/hms/index.js";
import type { Provider } from "../provider.js";
import { createHmsClient, HMS_DEFAULT_API_URL, type HmsClient, type HmsConfig } from "./client.js";
import { HMS_ENVIRONMENT, hmsConfigFromEnv } from "./config.js";
import { collectSecrets } from "./redact.js";
import { operationOfRequest } from "./request.js";

export const hmsProvider: Provider<HmsConfig, HmsClient> = {
  id: "hms",
  displayName: "100ms",
  command: "100ms",
  toolPrefix: "hms_",
  environment: HMS_ENVIRONMENT,
  credentials: "HMS_MANAGEMENT_TOKEN, or HMS_ACCESS_KEY and HMS_SECRET",
  configFromEnv: (env) => hmsConfigFromEnv(env),
  secretsOf: ({ auth }) => [auth.kind === "token" ? auth.token : auth.secret],
  createClient: createHmsClient,
  manifest: hmsManifest,
  record: {
    urlVariable: "HMS_API_URL",
    defaultUrl: HMS_DEFAULT_API_URL,
    // What the spec marks x-sensitive (storage credentials, stream keys) never reaches a fixture.
    sensitiveValues({ request, response }) {
      const found = operationOfRequest(request.method, request.path);
      if (found === undefined) {
        return [];
      }
      return [
        ...collectSecrets(request.body, found.operation.sensitiveArgumentPaths),
        ...collectSecrets(response.body, found.operation.sensitivePaths),
      ];
    },
  },
};
