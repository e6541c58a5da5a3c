import * as pulumi from "@pulumi/pulumi";

const code = new pulumi.Config().getNumber("code") ?? 0;
process.exit(code);
