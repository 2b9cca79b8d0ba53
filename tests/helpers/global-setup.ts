// Builds dist/ once so end-to-end tests run the real `feedloom` bin, as a user would.
// FEEDLOOM_SKIP_BUILD=1 skips it for quick unit runs while another stage is half-written.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  if (process.env['FEEDLOOM_SKIP_BUILD'] === '1') return;
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
