// Request bodies as kube-apiserver reads them: at most 3 MiB (MaxRequestBodyBytes; more is
// 413), JSON or YAML by Content-Type (others 415), and a body that does not parse is 400
// BadRequest with the decoder's words.
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, tooLarge, unsupportedMediaType } from './status';

/** The generic apiserver's MaxRequestBodyBytes (k8s.io/apiserver/pkg/server/config.go): 3 MiB. */
export const maxBodyBytes = 3 * 1024 * 1024;

export const decodableTypes = ['application/json', 'application/yaml'] as const;

/** Reads the whole body, refusing with 413 as soon as it passes the limit. */
export function readBody(request: IncomingMessage, limit = maxBodyBytes): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      request.resume();
      return reject(tooLarge(limit));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => refused || resolve(Buffer.concat(chunks)));
    request.on('error', (error) => refused || reject(error));
  });
}

/** The media type of a Content-Type header, without parameters, lowercased. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/** Decodes a create or update body: a JSON or YAML object. */
export function decodeObject(body: Buffer, contentType: string | undefined): Record<string, unknown> {
  const type = mediaType(contentType) || 'application/json';
  const text = body.toString('utf8');
  let value: unknown;
  if (type === 'application/json') {
    try {
      value = JSON.parse(text);
    } catch (error) {
      // As the serializer's version/kind sniffing words it (runtime/serializer/json/meta.go).
      throw badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
    }
  } else if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') {
    try {
      value = parseYaml(text, { uniqueKeys: true, maxAliasCount: 100 });
    } catch (error) {
      throw badRequest(`error converting YAML to JSON: ${(error as Error).message.split('\n')[0]}`);
    }
  } else throw unsupportedMediaType(type, [...decodableTypes, 'application/vnd.kubernetes.protobuf']);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw badRequest(`Object 'Kind' is missing in '${text.slice(0, 200)}'`);
  return value as Record<string, unknown>;
}
