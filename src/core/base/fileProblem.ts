// What a failed file operation means, in the words a command line shows after "cannot read:"
// or "cannot write:" (the error's own message for codes without words here).

const words: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a parent is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
};

export function fileProblem(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && words[code]) || (error as Error).message;
}
