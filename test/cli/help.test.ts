import { describe, expect, it } from 'vitest';
import { memsched } from './helpers.js';

// each command with a flag only it has, which its usage must list
const commands: [string, string][] = [
  ['inspect', '--dot FILE'],
  ['explore', '--max-recompute F'],
  ['eval', '--baseline'],
  ['plot', '--labels A,B'],
  ['report', '--verify FILE'],
  ['codegen', '--target c'],
  ['verify', '--sanitize'],
  ['export', 'the .onnx file to write'],
  ['zoo', 'list the built-in networks'],
];

describe('memsched <command> --help', () => {
  for (const [command, own] of commands)
    it(`${command} prints its own usage for --help and -h, exit 0`, () => {
      for (const flag of ['--help', '-h']) {
        const r = memsched(command, flag);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout.startsWith(`usage: memsched ${command}`)).toBe(true);
        expect(r.stdout).toContain(own);
        // another command's flags are not listed
        expect(r.stdout.includes('--sanitize')).toBe(command === 'verify');
      }
    });

  it('answers --help among other flags, even bad ones, and not after --', () => {
    const r = memsched('explore', 'zoo:traffic', '--bogus', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: memsched explore <model>/);
    const after = memsched('inspect', '--', '--help');
    expect(after.code).toBe(2);
    expect(after.stderr).toMatch(/--help: no such file/);
  });

  it('lists every command in memsched help', () => {
    const r = memsched('help');
    expect(r.code).toBe(0);
    for (const [command] of commands) expect(r.stdout).toMatch(new RegExp(`^ {2}${command} `, 'm'));
  });
});
