import * as assert from 'node:assert/strict';
import { Http1ResponseReader } from '../../../../src/core/envoy/http1Response';

function feed(reader: Http1ResponseReader, text: string, step: number) {
  const bytes = Buffer.from(text);
  let result = null;
  for (let i = 0; i < bytes.length; i += step) {
    const r = reader.push(bytes.subarray(i, i + step));
    if (r) result = r;
  }
  return result;
}

describe('Http1ResponseReader (port-forward responses that never close)', () => {
  it('completes on Content-Length, whatever the frame boundaries', () => {
    const body = '{"cluster_statuses":[]} é';
    const text = `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    for (const step of [1, 3, 17, 4096]) {
      const r = feed(new Http1ResponseReader(), text, step);
      assert.ok(r, `step ${step}`);
      assert.equal(r.status, 200);
      assert.equal(r.body, body);
    }
  });

  it('is not complete before the last byte', () => {
    const reader = new Http1ResponseReader();
    assert.equal(reader.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabcd')), null);
    assert.equal(reader.push(Buffer.from('e'))?.body, 'abcde');
  });

  it('decodes chunked bodies and completes on the zero-size chunk', () => {
    const text = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n';
    for (const step of [1, 2, 5, 1000]) {
      const r = feed(new Http1ResponseReader(), text, step);
      assert.equal(r?.body, 'hello, world', `step ${step}`);
    }
    const partial = new Http1ResponseReader();
    assert.equal(partial.push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n')), null);
    assert.throws(() => partial.end(), /closed before/);
  });

  it('completes a close-framed response only at end, and rejects non-HTTP bytes', () => {
    const reader = new Http1ResponseReader();
    assert.equal(reader.push(Buffer.from('HTTP/1.0 503 Service Unavailable\r\n\r\nno healthy upstream')), null);
    const done = reader.end();
    assert.equal(done.status, 503);
    assert.equal(done.body, 'no healthy upstream');
    assert.throws(() => new Http1ResponseReader().push(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n')), /not an HTTP response/);
  });
});
