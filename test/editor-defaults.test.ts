// The editor defaults the extension contributes for .snn files (package.json
// `contributes.configurationDefaults["[snn]"]`) indent as the formatter does: a new .snn file
// gets the formatter's indentation, not VS Code's 4 spaces or whatever the file happens to hold.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FORMAT_INDENT, format } from '../language-server/src/features/format';

const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8')) as {
  contributes?: { configurationDefaults?: Record<string, Record<string, unknown>> };
};

describe('editor defaults for [snn]', () => {
  const snn = pkg.contributes?.configurationDefaults?.['[snn]'];

  it('are contributed', () => {
    assert.ok(snn, 'package.json has no contributes.configurationDefaults["[snn]"]');
  });

  it('indent with spaces, as many as the formatter uses, without detecting the indentation', () => {
    assert.match(FORMAT_INDENT, /^ +$/);
    assert.equal(snn?.['editor.tabSize'], FORMAT_INDENT.length);
    assert.equal(snn?.['editor.insertSpaces'], true);
    assert.equal(snn?.['editor.detectIndentation'], false);
  });

  it('the formatter indents one level by FORMAT_INDENT', () => {
    assert.equal(format('neuron A {\nparameters { tau = 1 ms }\n}\n'), `neuron A {\n${FORMAT_INDENT}parameters { tau = 1 ms }\n}\n`);
  });
});
