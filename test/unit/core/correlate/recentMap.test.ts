import * as assert from 'node:assert/strict';
import { RecentMap } from '../../../../src/core/correlate/recentMap';
import { addressKey } from '../../../../src/core/correlate/connectionEnds';

describe('RecentMap', () => {
  it('keeps the most recently set keys, between half the capacity and the capacity', () => {
    const map = new RecentMap<string, number>(1000);
    for (let i = 0; i < 60_000; i++) map.set(`10.0.0.1:${i}`, i);
    for (let i = 60_000 - 500; i < 60_000; i++) assert.equal(map.get(`10.0.0.1:${i}`), i);
    let remembered = 0;
    for (let i = 0; i < 60_000; i++) if (map.get(`10.0.0.1:${i}`) !== undefined) remembered++;
    assert.ok(remembered >= 500 && remembered <= 1000, `${remembered} remembered`);
    assert.equal(map.get('10.0.0.1:0'), undefined);
  });

  it('refreshes a key set again, so a busy key outlives quieter ones', () => {
    const map = new RecentMap<string, number>(10);
    map.set('busy', 0);
    for (let i = 0; i < 100; i++) {
      map.set(`quiet-${i}`, i);
      map.set('busy', i);
    }
    assert.equal(map.get('busy'), 99);
    assert.equal(map.get('quiet-0'), undefined);
  });
});

describe('addressKey', () => {
  it('turns IPv4 addresses with a port into distinct numbers and leaves others as they are', () => {
    assert.equal(addressKey('10.44.0.13:45202'), addressKey('10.44.0.13:45202'));
    assert.notEqual(addressKey('10.44.0.13:45202'), addressKey('10.44.0.13:45203'));
    assert.notEqual(addressKey('10.44.0.1:345202'), addressKey('10.44.0.13:45202'));
    assert.notEqual(addressKey('10.44.1.3:45202'), addressKey('10.44.0.13:45202'));
    assert.equal(addressKey('255.255.255.255:65535'), 2 ** 48 - 1);
    assert.equal(addressKey('[fd00::1]:8080'), '[fd00::1]:8080');
    assert.equal(addressKey('300.1.1.1:80'), '300.1.1.1:80');
    assert.equal(addressKey('10.0.0.1:99999'), '10.0.0.1:99999');
    assert.equal(addressKey('1.2.3.4:5'), (((1 * 256 + 2) * 256 + 3) * 256 + 4) * 65536 + 5);
    for (const other of ['1.2.3.4', '1.2.3.4.5:6', ':80', '1..2.3:4', '1.2.3.4:', '01234.1.1.1:80', 'orders:8080']) assert.equal(addressKey(other), other);
  });
});
