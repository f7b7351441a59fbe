#!/usr/bin/env node
// The quick-start (`npm start`): builds, then runs the API and one worker (which also runs the
// scheduler) side by side, stopping both when either stops or on Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';

const build = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const roles = ['api', 'worker'];
const children = roles.map((role) => spawn(process.execPath, [`dist/apps/${role}/src/main.js`], { stdio: 'inherit', env: process.env }));
let exiting = false;
const stopAll = (code) => {
  if (exiting) return;
  exiting = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5000).unref();
};
children.forEach((child) => child.on('exit', (code) => stopAll(code ?? 1)));
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
