import * as assert from 'node:assert/strict';
import { WasmMarkerSearch, type FilterMarker } from '../../../../src/core/logs/logScan';
import { SeededRandom } from '../../../corpus/random';

/** The first position at or after `from` where a marker occurs, by brute force: what the filter must find. */
function naiveNext(data: Buffer, from: number, end: number, markers: readonly FilterMarker[]): number {
  const extendsNumber = (c: number | undefined): boolean => c !== undefined && ((c >= 48 && c <= 57) || c === 46 || c === 58 || c === 45);
  let best = -1;
  for (const m of markers) {
    const bytes = Buffer.from(m.text, 'latin1');
    for (let at = data.indexOf(bytes, from); at !== -1 && at + bytes.length <= end; at = data.indexOf(bytes, at + 1)) {
      if (m.word && ((at > from && extendsNumber(data[at - 1])) || (at + bytes.length < end && extendsNumber(data[at + bytes.length])))) continue;
      if (best === -1 || at < best) best = at;
      break;
    }
  }
  return best;
}

describe('the WebAssembly marker filter', () => {
  it('finds the first marker exactly where a brute-force search does, over random text and chunk ends', () => {
    const rng = new SeededRandom(99);
    // A small alphabet makes markers, near misses and overlapping markers common.
    const alphabet = 'abcre sto503:.-\n';
    const markers: FilterMarker[] = [{ text: 'reset' }, { text: 'aba' }, { text: 'cab' }, { text: 'bab' }, { text: 'toss' }, { text: 'e s' }, { text: '503', word: true }, { text: '050', word: true }];
    const search = new WasmMarkerSearch(markers);
    for (let round = 0; round < 300; round++) {
      const length = rng.int(0, 400);
      let text = '';
      for (let i = 0; i < length; i++) text += alphabet[rng.int(0, alphabet.length - 1)];
      const data = Buffer.from(text, 'latin1');
      const end = rng.int(0, data.length);
      search.begin(data, end);
      for (let from = 0; from <= end; from += rng.int(1, 7)) {
        assert.equal(search.next(from), naiveNext(data, from, end, markers), `${JSON.stringify(text.slice(0, end))} from ${from}`);
      }
    }
  });

  it('searches buffers larger than its memory started with', () => {
    const search = new WasmMarkerSearch([{ text: 'needle' }]);
    const data = Buffer.alloc(3 * 1024 * 1024, 'x');
    data.write('needle', data.length - 10, 'latin1');
    search.begin(data, data.length);
    assert.equal(search.next(0), data.length - 10);
    assert.equal(search.next(data.length - 9), -1);
  });

  it('refuses markers it cannot hold, saying which', () => {
    assert.throws(() => new WasmMarkerSearch([{ text: 'xy' }]), /"xy": expected 3 to 255 printable ASCII/);
    assert.throws(() => new WasmMarkerSearch([{ text: 'réset' }]), /printable ASCII/);
  });
});
