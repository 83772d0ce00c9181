/**
 * The cdktf app (`npm run synth`, or `cdktf synth` through cdktf.json): synthesizes one stack per
 * cohort of the roster. Arguments are those of `learning-rooms synth`.
 */
import { runCli } from './cli/main';
import { processIo } from './commands/io';

runCli(['synth', ...process.argv.slice(2)], processIo()).then((code) => {
  process.exitCode = code;
});
