export = async () => {
    await new Promise(() => {});
};
