// An app module that cannot start: the command must say so and exit with 1.
export default function app() {
  throw new Error('the app cannot start: no database');
}
