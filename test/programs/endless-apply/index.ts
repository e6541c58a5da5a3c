import * as pulumi from "@pulumi/pulumi";

export const spin = pulumi.output("x").apply(() => {
    for (;;) {
        // never returns
    }
});
