import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed operations from the server's exported contract: an operation that no longer
// matches `schema.graphql` fails codegen, and a changed result type fails `tsc`.
const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  errorsOnly: false,
  generates: {
    './src/gql/': {
      preset: 'client',
      config: {
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', NaiveDate: 'string' },
        strictScalars: true,
        avoidOptionals: { field: true, inputValue: false, object: false },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
