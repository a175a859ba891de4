// protocol/plain-text.ts: model text cannot become a link or markup where it is shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeMarkdown, notificationText, quote } from '../protocol/plain-text';

// VS Code's notification link form (its parseLinkedText): [label](http…|command:…|file:…).
const LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/;

test('notification text never contains a link VS Code would render', () => {
  for (const s of [
    'cannot find [click](command:workbench.action.terminal.new)',
    '[x](https://evil.example/)',
    '[a]  (file:///etc/passwd)',
    'data/[w](command:x?%5B%5D).csv',
  ]) {
    const t = notificationText(s);
    assert.doesNotMatch(t, LINK, t);
    assert.ok(t.includes('['), 'the text is still readable');
  }
  assert.equal(notificationText('plain data/w.csv: line 3'), 'plain data/w.csv: line 3');
  assert.equal(notificationText('a\u202eb\u0007c'), 'abc');
});

test('markdown escaping leaves no live markup', () => {
  assert.equal(escapeMarkdown('[x](command:y)'), '\\[x\\]\\(command:y\\)');
  assert.equal(escapeMarkdown('**b** <img>'), '\\*\\*b\\*\\* \\<img\\>');
});

test('quoted text is cut and cleaned', () => {
  assert.equal(quote('x'.repeat(300)).length, 201);
  assert.equal(quote('a\u0000b'), 'ab');
});
