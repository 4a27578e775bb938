import { EndpointSlots } from './endpoint-slots';

describe('EndpointSlots', () => {
  it('caps concurrent work per endpoint and leaves other endpoints free', () => {
    const slots = new EndpointSlots(2);
    expect(slots.tryAcquire('slow')).toBe(true);
    expect(slots.tryAcquire('slow')).toBe(true);
    expect(slots.tryAcquire('slow')).toBe(false);
    expect(slots.tryAcquire('healthy')).toBe(true);
    expect(slots.active('slow')).toBe(2);
  });

  it('hands a freed slot to parked work in order, once per delivery', () => {
    const slots = new EndpointSlots(1);
    slots.tryAcquire('e');
    expect(slots.park('e', 'd1')).toBe(true);
    expect(slots.park('e', 'd2')).toBe(true);
    expect(slots.park('e', 'd1')).toBe(true);
    expect(slots.parkedCount()).toBe(2);
    expect(slots.release('e')).toBe('d1');
    expect(slots.active('e')).toBe(1);
    expect(slots.release('e')).toBe('d2');
    expect(slots.release('e')).toBeNull();
    expect(slots.active('e')).toBe(0);
  });

  it('refuses to park beyond its bound', () => {
    const slots = new EndpointSlots(1, 1);
    slots.tryAcquire('e');
    expect(slots.park('e', 'a')).toBe(true);
    expect(slots.park('e', 'b')).toBe(false);
  });
});
