// The popup's reference (issue #18): an empty extension page, opened the same
// way as popup.html (a tab, navigation start → a mark after its first paint),
// written into the bench's own demo build (bench/build.ts) beside popup.html.
// Its module script paints one line and marks after the next frame, as the
// popup's `popup-counts-painted` is marked from a Preact effect
// (requestAnimationFrame, then a task).
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export const BLANK_PAGE = 'bench-blank.html';
export const BLANK_PAINTED = 'blank-painted';

const HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <title>Bench: empty extension page</title>
  </head>
  <body>
    <div id="app"></div>
    <script type="module" src="./bench-blank.js"></script>
  </body>
</html>
`;

const SCRIPT = `document.getElementById('app').textContent = 'Empty page';
requestAnimationFrame(() => setTimeout(() => performance.mark('${BLANK_PAINTED}')));
`;

/** Puts the empty page into an extension build's directory (again after every rebuild). */
export function writeBlankPage(extensionDir: string): void {
  writeFileSync(path.join(extensionDir, BLANK_PAGE), HTML);
  writeFileSync(path.join(extensionDir, 'bench-blank.js'), SCRIPT);
}
