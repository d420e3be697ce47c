// Connection settings for an Elasticsearch cluster, from the environment, so the same code points
// at the local node our scripts start or at an existing secured cluster:
//   IRONTHRONE_ES_URL        http(s)://host:9200 (several, comma-separated)
//   IRONTHRONE_ES_API_KEY    an API key (base64 id:key), or
//   IRONTHRONE_ES_USERNAME / IRONTHRONE_ES_PASSWORD
//   IRONTHRONE_ES_CA         PEM file of the CA that signed the cluster's HTTP certificate
//   IRONTHRONE_ES_INDEX      index prefix (default ironthrone-logs)
import { Client, type ClientOptions } from '@elastic/elasticsearch';
import { readFileSync } from 'node:fs';

export interface EsSettings {
  nodes: string[];
  apiKey?: string;
  username?: string;
  password?: string;
  caFile?: string;
  indexPrefix: string;
}

export function esSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): EsSettings | undefined {
  const url = env.IRONTHRONE_ES_URL;
  if (!url) return undefined;
  return {
    nodes: url
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    apiKey: env.IRONTHRONE_ES_API_KEY,
    username: env.IRONTHRONE_ES_USERNAME,
    password: env.IRONTHRONE_ES_PASSWORD,
    caFile: env.IRONTHRONE_ES_CA,
    indexPrefix: env.IRONTHRONE_ES_INDEX ?? 'ironthrone-logs',
  };
}

export function createEsClient(s: Pick<EsSettings, 'nodes' | 'apiKey' | 'username' | 'password' | 'caFile'>): Client {
  const opts: ClientOptions = {
    nodes: s.nodes,
    // Retries are ours (bulk item-level, then spool): the client fails fast so we can decide.
    maxRetries: 1,
    requestTimeout: 30_000,
  };
  if (s.apiKey) opts.auth = { apiKey: s.apiKey };
  else if (s.username) opts.auth = { username: s.username, password: s.password ?? '' };
  if (s.caFile) opts.tls = { ca: readFileSync(s.caFile), rejectUnauthorized: true };
  return new Client(opts);
}
