/** hat-0.7 framing: cutting messages into 64 KiB segments and joining them back, with a bound, against hostile frames. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JugglerError } from '../../src/core/errors.js';
import { FrameReader, segmentSize, segments } from '../../src/dialects/hat-0.7/framing.js';

const limits = { maxMessageSize: 4 * 1024 * 1024, maxDepth: 100 };

/** Reads frames in order: the messages they complete and the pongs they asked for. */
function readAll(frames: string[], reader = new FrameReader(limits)): { messages: unknown[]; pongs: string[] } {
  const messages: unknown[] = [];
  const pongs: string[] = [];
  for (const frame of frames) {
    const message = reader.read(frame, (pong) => pongs.push(pong));
    if (message) messages.push(message);
  }
  return { messages, pongs };
}

function thrown(action: () => unknown): JugglerError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof JugglerError, `a JugglerError, not ${String(error)}`);
    return error;
  }
  assert.fail('nothing was thrown');
}

/** A message whose JSON text is exactly `length` code units long, its string made of `filler`. */
function messageOfLength(length: number, filler = 'x'): string {
  const empty = JSON.stringify({ type: 'notify', name: 'n', data: '' });
  const text = JSON.stringify({ type: 'notify', name: 'n', data: filler.repeat((length - empty.length) / filler.length) });
  assert.equal(text.length, length);
  return text;
}

describe('cutting a message into segments', () => {
  test('a message of at most 64 KiB is one frame with the 0 prefix', () => {
    for (const length of [40, segmentSize - 1, segmentSize]) {
      const text = messageOfLength(length);
      assert.deepEqual(segments(text), [`0${text}`]);
    }
  });

  test('a longer one is cut into 64 KiB segments with the 1 prefix, and the rest with 0', () => {
    for (const [length, count] of [
      [segmentSize + 1, 2],
      [2 * segmentSize, 2],
      [2 * segmentSize + 1, 3],
      [5 * segmentSize + 77, 6],
    ]) {
      const text = messageOfLength(length);
      const frames = segments(text);
      assert.equal(frames.length, count, `${length} code units`);
      assert.ok(frames.slice(0, -1).every((frame) => frame[0] === '1' && frame.length === segmentSize + 1));
      assert.equal(frames.at(-1)![0], '0');
      assert.equal(frames.map((frame) => frame.slice(1)).join(''), text);
      assert.deepEqual(readAll(frames).messages, [JSON.parse(text)]);
    }
  });

  test('a cut never splits a surrogate pair, so every segment is valid UTF-8 on its own', () => {
    // Emoji are two code units: shifted by one, a pair sits on every 64 KiB edge.
    for (const shift of [0, 1]) {
      const data = `${'a'.repeat(shift)}${'😀'.repeat(segmentSize)}`;
      const text = JSON.stringify({ type: 'notify', name: 'n', data });
      const frames = segments(text);
      for (const frame of frames) {
        assert.ok(frame.length <= segmentSize + 1);
        assert.ok(isWellFormed(frame), 'no lone surrogate in a segment');
        assert.equal(Buffer.from(frame, 'utf8').toString('utf8'), frame, 'survives UTF-8 as it is');
      }
      assert.deepEqual(readAll(frames.map((frame) => Buffer.from(frame).toString())).messages, [{ type: 'notify', name: 'n', data }]);
    }
  });

  test('three-byte characters at the edges come back whole', () => {
    const data = '€'.repeat(3 * segmentSize);
    const frames = segments(JSON.stringify({ type: 'notify', name: 'n', data }));
    assert.equal(frames.length, 4);
    assert.deepEqual(readAll(frames).messages, [{ type: 'notify', name: 'n', data }]);
  });
});

describe('reading frames', () => {
  test('a ping is answered with a pong carrying the same text; a pong is taken silently', () => {
    const { messages, pongs } = readAll(['2', '2abc é', '3', '3whatever']);
    assert.deepEqual(messages, []);
    assert.deepEqual(pongs, ['3', '3abc é']);
  });

  test('pings between the segments of a message are answered and leave it whole', () => {
    const text = messageOfLength(segmentSize * 2 + 10);
    const [first, second, last] = segments(text);
    const { messages, pongs } = readAll([first, '2x', second, '3', last]);
    assert.deepEqual(messages, [JSON.parse(text)]);
    assert.deepEqual(pongs, ['3x']);
  });

  test('the joined message is bounded by maxMessageSize in UTF-8 bytes, across segments', () => {
    const reader = new FrameReader({ maxMessageSize: 1000, maxDepth: 100 });
    const exact = messageOfLength(1000);
    assert.deepEqual(readAll(segments(exact, 300), reader).messages, [JSON.parse(exact)]);
    const error = thrown(() => readAll(segments(messageOfLength(1001), 300), reader));
    assert.equal(error.code, 'message-too-large');
    assert.match(error.message, /larger than 1000 bytes/);
    // é is two bytes: 600 characters of it are 1200 bytes, past the bound though 600 units are not.
    const wide = thrown(() => readAll(segments(JSON.stringify({ type: 'notify', name: 'n', data: 'é'.repeat(600) }), 100), new FrameReader({ maxMessageSize: 1000, maxDepth: 100 })));
    assert.equal(wide.code, 'message-too-large');
  });

  test('an endless stream of 1 segments is cut off at the bound, not buffered', () => {
    const reader = new FrameReader({ maxMessageSize: 64 * 1024, maxDepth: 100 });
    const segment = `1${'x'.repeat(16 * 1024)}`;
    let accepted = 0;
    const error = thrown(() => {
      for (;;) {
        reader.read(segment, () => {});
        accepted++;
      }
    });
    assert.equal(error.code, 'message-too-large');
    assert.equal(accepted, 4, 'four 16 KiB segments fit in 64 KiB; the fifth is refused');
  });

  test('hostile frames throw typed errors', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['', 'invalid-message', /must start with 0, 1, 2 or 3/],
      ['4{}', 'invalid-message', /must start with 0, 1, 2 or 3, not "4\{\}"/],
      ['x', 'invalid-message', /not "x"/],
      ['0{"type":', 'invalid-json', /not valid JSON/],
      ['0', 'invalid-json', /not valid JSON/],
      ['0[1,2]', 'invalid-message', /not a JSON object with a "type"/],
      ['0{"diff":[]}', 'invalid-message', /"type"/],
      ['0{"type":7}', 'invalid-message', /"type"/],
      [`0{"type":"state","diff":${'['.repeat(200)}${']'.repeat(200)}}`, 'too-deep', /deeper than 100 levels/],
      ['{"type":"DATA","payload":[]}', 'unsupported-dialect', /hat-juggler up to 0\.5 \(a JSON object with no segment prefix: "\{\\"type\\":\\"DATA\\",\\"payl"\), not the hat-0\.7 dialect/],
      [' {"type":"MESSAGE"}', 'unsupported-dialect', /no segment prefix/],
    ];
    for (const [frame, code, message] of cases) {
      const error = thrown(() => new FrameReader(limits).read(frame, () => {}));
      assert.equal(error.code, code, frame.slice(0, 30));
      assert.match(error.message, message);
    }
  });

  test('invalid JSON is found only once the segments are joined', () => {
    const reader = new FrameReader(limits);
    assert.equal(reader.read('1{"type":"notify",', () => {}), undefined);
    assert.equal(thrown(() => reader.read('0"name":}', () => {})).code, 'invalid-json');
    // The reader starts afresh after an error: the next message is read on its own.
    assert.deepEqual(reader.read('0{"type":"notify","name":"a"}', () => {}), { type: 'notify', name: 'a' });
  });
});

/** No lone surrogate (String.prototype.isWellFormed, which the type library here does not know yet). */
function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

describe('a bound on segments', () => {
  test('empty segments cannot pile up: past 16,384 segments the message is refused', () => {
    const reader = new FrameReader(limits);
    const error = thrown(() => {
      for (let i = 0; i < 20_000; i++) reader.read('1', () => {});
    });
    assert.equal(error.code, 'message-too-large');
    assert.deepEqual(readAll(['0{"type":"state","diff":[]}'], reader).messages, [{ type: 'state', diff: [] }], 'the reader starts afresh');
  });
});
