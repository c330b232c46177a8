/**
 * `npm run bench`: every row compares the kit with a baseline doing the same
 * work and checks a goal; the process exits with 1 when any goal is not met.
 */
const { coreMet } = await import('./core.js');
const { elementsMet } = await import('./elements.js');
if (!coreMet || !elementsMet) {
  console.log('\nSome goals were NOT MET.');
  process.exitCode = 1;
}
