/**
 * The rehearsal loads the double by name (rehearsal/double.ts), so the product's build does not
 * check it against the package: this file does, at compile time (npm test's tsc), and starts it
 * through the rehearsal's own loader.
 */
import * as pkg from '@learning-rooms/github-double';
import { doubleProblem, startDouble, type DoublePackage } from '../../rehearsal/double';

test('the package is what the rehearsal expects of it (checked by the type checker)', () => {
  const fits: DoublePackage = pkg;
  expect(typeof fits.startGitHubDouble).toBe('function');
});

test('the loader finds the installed package, starts it on 127.0.0.1 with the limits lifted, and stops it once however often asked', async () => {
  expect(doubleProblem('/tool')).toBeUndefined();
  const double = await startDouble({
    $comment: '',
    orgs: [{ login: 'acme', name: 'Acme' }],
    users: [],
    app: { id: 1, slug: 'a', publicKey: pkg.generateAppKeyPair().publicKeyPem, installations: [] },
    repos: [],
  });
  expect(double.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  const limits = (await (await fetch(new URL('/_admin/limits', double.baseUrl))).json()) as Record<string, number>;
  expect(limits).toMatchObject({ secondaryPerMinute: 1e9, secondaryPerHour: 1e9, primary: 1e9 });
  expect(double.lastSeq()).toBe(0);
  await Promise.all([double.stop(), double.stop()]);
});
