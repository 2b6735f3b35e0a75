// Bifrost's final-log endpoint as an honest fake (outside our boundary): it un-gzips the body, parses the multipart
// form with Node's own parser (undici's Response.formData, not our code) and, like Bifrost's
// ChecksumValidatingStream, refuses a logfile whose MD5 is not the md5sum part.
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface FinalLogUploadSeen {
  url: string;
  headers: IncomingHttpHeaders;
  /** The form fields (every part is text, as the Java client sends them). */
  fields: Record<string, string>;
  /** MD5 of the logfile part as received. */
  computedMd5: string;
  at: number;
}

/** `ok`: 200 "ok"; `fail`: 500 every time; `hang`: never answers. */
export type BifrostMode = 'ok' | 'fail' | 'hang';

async function parseUpload(headers: IncomingHttpHeaders, raw: Buffer): Promise<Record<string, string>> {
  const body = headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
  const form = await new Response(body, { headers: { 'content-type': headers['content-type'] ?? '' } }).formData();
  const fields: Record<string, string> = {};
  for (const [name, value] of form.entries()) fields[name] = typeof value === 'string' ? value : await value.text();
  return fields;
}

export async function startFakeBifrost(initialMode: BifrostMode = 'ok') {
  const uploads: FinalLogUploadSeen[] = [];
  /** Every request, answered or not, in arrival order. */
  const attempts: { url: string; at: number }[] = [];
  const state = { mode: initialMode };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      attempts.push({ url: req.url!, at: Date.now() });
      if (state.mode === 'hang') return; // the socket stays open until the driver gives up
      if (state.mode === 'fail') return void res.writeHead(500).end('down for maintenance');
      parseUpload(req.headers, Buffer.concat(chunks)).then(
        (fields) => {
          const computedMd5 = createHash('md5')
            .update(fields.logfile ?? '', 'utf8')
            .digest('hex');
          uploads.push({ url: req.url!, headers: req.headers, fields, computedMd5, at: Date.now() });
          if (computedMd5 !== fields.md5sum?.toLowerCase())
            return void res.writeHead(400).end('The uploaded log has wrong checksums');
          res.writeHead(200, { 'content-type': 'application/json' }).end('ok');
        },
        (error: unknown) => res.writeHead(400).end(`not a gzip multipart form: ${String(error)}`),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    uploads,
    attempts,
    setMode: (mode: BifrostMode) => (state.mode = mode),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL where nothing listens: a port that was free a moment ago. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
