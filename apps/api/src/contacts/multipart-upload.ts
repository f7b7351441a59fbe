import busboy from 'busboy';
import type { Request } from 'express';
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DomainError, ErrorCode } from '@clarion/common';
import type { ReceivedUpload } from '@clarion/contacts';

export interface UploadLimits {
  dir: string;
  maxBytes: number;
}

const tooLarge = (maxBytes: number) =>
  new DomainError(
    ErrorCode.PayloadTooLarge,
    `the file is larger than the upload limit of ${Math.round(maxBytes / 1024 / 1024)} MB (MAX_UPLOAD_MB)`,
  );

/**
 * Streams a multipart upload's `file` part to UPLOAD_DIR (never held in memory, whatever its
 * size) and collects the text fields. Refuses a missing file with 400 and an oversized one
 * with 413 (from Content-Length at once, or when the stream crosses the limit).
 */
export async function receiveUpload(req: Request, limits: UploadLimits): Promise<ReceivedUpload> {
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
    throw DomainError.validation('send the sheet as multipart/form-data with the CSV or .xlsx in a field named "file"');
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limits.maxBytes + 1024 * 1024) throw tooLarge(limits.maxBytes);

  await mkdir(limits.dir, { recursive: true });
  const path = resolve(join(limits.dir, `import-${Date.now()}-${randomBytes(6).toString('hex')}.upload`));
  const fields: Record<string, string> = {};
  let fileName: string | null = null;
  let bytes = 0;
  let sawFile = false;
  let truncated = false;
  let fileWrite: Promise<void> | null = null;

  const parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: limits.maxBytes, fields: 20, fieldSize: 1024 * 1024 } });
  parser.on('field', (name, value) => {
    fields[name] = value;
  });
  parser.on('file', (name, stream, info) => {
    if (name !== 'file' || sawFile) {
      stream.resume();
      if (name !== 'file') fields[name] = '(a file)';
      return;
    }
    sawFile = true;
    fileName = info.filename ?? null;
    stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
    stream.on('limit', () => (truncated = true));
    fileWrite = pipeline(stream, createWriteStream(path));
  });
  try {
    await new Promise<void>((resolveDone, reject) => {
      parser.on('close', resolveDone);
      parser.on('error', (error: Error) => reject(DomainError.validation(`the multipart body could not be read: ${error.message}`)));
      req.on('aborted', () => reject(DomainError.validation('the upload was aborted by the client')));
      req.pipe(parser);
    });
    if (fileWrite) await fileWrite;
  } catch (error) {
    await unlink(path).catch(() => undefined);
    throw error;
  }
  if (truncated) {
    await unlink(path).catch(() => undefined);
    throw tooLarge(limits.maxBytes);
  }
  if (!sawFile) throw DomainError.validation('no file: send the CSV or .xlsx in a multipart field named "file"');
  return { path, fileName, bytes, fields };
}
