export = async () => {
    await new Promise(resolve => setTimeout(resolve, 1_000_000_000));
};
