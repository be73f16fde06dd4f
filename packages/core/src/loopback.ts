import { BlockList, isIP } from 'node:net';

// Node parses every spelling (`0:0:0:0:0:0:0:1`, `::ffff:127.0.0.1`), which string checks miss.
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * 127.0.0.0/8, ::1 (in any spelling, bracketed or not, or IPv4-mapped) and `localhost`: the hosts
 * a SochDB server may listen on without being asked to listen beyond this machine.
 */
export function isLoopback(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === 'localhost') return true;
  const family = isIP(bare);
  return family !== 0 && LOOPBACK.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}
