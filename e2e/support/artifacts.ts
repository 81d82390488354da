import { fileURLToPath } from 'node:url';

/** Screenshots are kept as CI artefacts in e2e/artifacts/ (gitignored). */
export function artifactPath(fileName: string): string {
  return fileURLToPath(new URL(`../artifacts/${fileName}`, import.meta.url));
}

/** A screenshot of a main page, kept as an artefact in e2e/artifacts/screenshots/. */
export function screenshotPath(name: string): string {
  return artifactPath(`screenshots/${name}.png`);
}
