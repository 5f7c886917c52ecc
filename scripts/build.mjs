// Bundles the extension with esbuild into two files: dist/extension.js (activation: UI and core,
// no AWS SDK) and dist/aws.js (the AWS layer with the SDK, loaded on the first AWS call).
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Keeps `import('../aws/index')` out of the main bundle and points it at ./aws.js next to it. */
const awsLayerIsSeparate = {
  name: 'aws-layer-separate',
  setup(build) {
    build.onResolve({ filter: /(^|\/)aws\/index$/ }, (args) =>
      args.importer.includes('/src/ui/') ? { path: './aws.js', external: true } : undefined,
    );
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  mainFields: ['module', 'main'],
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

const contexts = await Promise.all([
  esbuild.context({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [awsLayerIsSeparate], metafile: true }),
  esbuild.context({ ...common, entryPoints: ['src/aws/index.ts'], outfile: 'dist/aws.js' }),
]);

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  const results = await Promise.all(contexts.map((c) => c.rebuild()));
  const sdkInMain = Object.keys(results[0].metafile.inputs).filter((f) => f.includes('@aws-sdk') || f.includes('@smithy'));
  if (sdkInMain.length) {
    console.error(`dist/extension.js must not contain the AWS SDK, but it bundles:\n  ${sdkInMain.slice(0, 5).join('\n  ')}`);
    process.exit(1);
  }
  await Promise.all(contexts.map((c) => c.dispose()));
}
