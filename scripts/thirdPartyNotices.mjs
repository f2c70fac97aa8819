// The notices of the packages bundled into podtrace's output files. The extension, the CLI
// and the timeline app (which the HTML report inlines whole) each carry the licence texts of
// the npm packages esbuild put into them, in a leading /*! comment that minifiers keep, so
// that every copy of a bundle, a report included, carries its notices. Most of these packages
// ship a LICENSE file; the FAST packages ship none, so their MIT text is written out with the
// author their package.json names.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package folders (`node_modules/<name>`) whose files an esbuild metafile lists as inputs. */
export function bundledPackages(metafile, root) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) dirs.add(path.resolve(root, match[1]));
  }
  return [...dirs].sort();
}

const mitText = (holder) => `Copyright (c) ${holder}

MIT License

Permission is hereby granted, free of charge, to any person obtaining a copy of this software
and associated documentation files (the "Software"), to deal in the Software without
restriction, including without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.`;

/** The Unlicense (unlicense.org), for packages under it that ship no licence file (stream-buffers). */
const unlicenseText = `This is free and unencumbered software released into the public domain.

Anyone is free to copy, modify, publish, use, compile, sell, or distribute this software, either
in source code form or as a compiled binary, for any purpose, commercial or non-commercial, and
by any means.

In jurisdictions that recognize copyright laws, the author or authors of this software dedicate
any and all copyright interest in the software to the public domain. We make this dedication for
the benefit of the public at large and to the detriment of our heirs and successors. We intend
this dedication to be an overt act of relinquishment in perpetuity of all present and future
rights to this software under copyright law.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.

For more information, please refer to <https://unlicense.org>`;

/** One package's notice: name, version, licence and its text. */
export function packageNotice(dir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const file = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  let text;
  if (file) text = fs.readFileSync(path.join(dir, file), 'utf8').trim();
  else if (pkg.license === 'Unlicense') text = unlicenseText;
  else if (pkg.license === 'MIT')
    text = mitText(typeof pkg.author === 'string' ? pkg.author : (pkg.author?.name ?? pkg.name));
  else
    throw new Error(
      `third-party notices: ${pkg.name}@${pkg.version} (${pkg.license}) ` +
        'has no licence file to bundle; add its text here',
    );
  return `${pkg.name} ${pkg.version} (${pkg.license})\n\n${text}`;
}

/** The leading comment of a bundle: what it bundles and under which licences. */
export function noticeBanner(dirs) {
  if (dirs.length === 0) return '';
  const body = dirs.map(packageNotice).join('\n\n---\n\n').replaceAll('*/', '* /');
  return `/*! podtrace bundles the following packages.\n\n${body}\n*/`;
}
