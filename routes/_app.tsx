import { define } from "@/lib/define.ts";

export default define.layout(({ Component, state }) => (
  <html lang={state.patientPage?.language ?? "en"}>
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="color-scheme" content="light" />
      <title>{state.clinic.config.clinicName}</title>
      <link rel="stylesheet" href="/static/styles.css" />
      <link rel="stylesheet" href="/theme.css" />
      <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
    </head>
    <body>
      <Component />
    </body>
  </html>
));
