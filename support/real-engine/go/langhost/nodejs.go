package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/google/shlex"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

type nodejs struct{}

func (nodejs) stackEnvPrefix() string { return "PULUMI_NODEJS_" }

// locate resolves a module of the Pulumi SDK from a directory, as the real host does (with
// `node -e require.resolve(…)`), so that the program's own installed SDK runs it.
func locate(node, module, dir, install string) (string, error) {
	script := fmt.Sprintf(`try { console.log(require.resolve(%q)); } catch (e) { console.error(e.code === "MODULE_NOT_FOUND" ? "It looks like the Pulumi SDK has not been installed. Have you run %s?" : e.message); process.exit(1); }`, module, install)
	cmd := exec.Command(node, "-e", script)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return "", errors.New(string(exit.Stderr))
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// typescript is the environment the Node.js runner reads for the project's TypeScript options
// (typescript defaults to true; tsconfig names the configuration file) and the extra node arguments.
func typescript(opts map[string]any) ([]string, []string, error) {
	var env []string
	if ts, ok := opts["typescript"]; !ok || ts == true {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	} else if _, isBool := ts.(bool); !isBool {
		return nil, nil, errors.New("typescript option must be a boolean")
	}
	if p, ok := opts["tsconfig"]; ok {
		s, isString := p.(string)
		if !isString {
			return nil, nil, errors.New("tsconfigpath option must be a string")
		}
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+s)
	}
	var nodeArgs []string
	if a, ok := opts["nodeargs"]; ok {
		s, isString := a.(string)
		if !isString {
			return nil, nil, errors.New("nodeargs option must be a string")
		}
		split, err := shlex.Split(s)
		if err != nil {
			return nil, nil, err
		}
		nodeArgs = split
	}
	return env, nodeArgs, nil
}

func (nodejs) program(req *pulumirpc.RunRequest, engine, tracing string) (*exec.Cmd, error) {
	node, err := lookPath("node")
	if err != nil {
		return nil, err
	}
	dir := programDir(req.GetInfo(), req.GetPwd())
	run, err := locate(node, "@pulumi/pulumi/cmd/run", dir, "pulumi install")
	if err != nil {
		return nil, err
	}
	env, nodeArgs, err := typescript(options(req.GetInfo()))
	if err != nil {
		return nil, err
	}
	cfg, secretKeys, err := engineConfig(req)
	if err != nil {
		return nil, fmt.Errorf("failed to serialize configuration: %w", err)
	}
	args := append(nodeArgs, run)
	args = append(args, flagArgs(
		"monitor", req.GetMonitorAddress(),
		"engine", engine,
		"organization", req.GetOrganization(),
		"project", req.GetProject(),
		"root-directory", req.GetInfo().GetRootDirectory(),
		"stack", req.GetStack(),
		"pwd", dir,
	)...)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	args = append(args, flagArgs("parallel", strconv.Itoa(int(req.GetParallel())), "tracing", tracing)...)
	args = append(args, entryPoint(req.GetInfo()))
	args = append(args, req.GetArgs()...)
	cmd := exec.Command(node, args...)
	cmd.Env = append(os.Environ(), "PULUMI_CONFIG="+cfg, "PULUMI_CONFIG_SECRET_KEYS="+secretKeys)
	cmd.Env = append(cmd.Env, env...)
	return cmd, nil
}

func (nodejs) analyzer(req *pulumirpc.RunPluginRequest) (*exec.Cmd, error) {
	node, err := lookPath("node")
	if err != nil {
		return nil, err
	}
	dir := programDir(req.GetInfo(), req.GetPwd())
	run, err := locate(node, "@pulumi/pulumi/cmd/run-policy-pack", dir, "npm install in "+dir)
	if err != nil {
		return nil, err
	}
	env, nodeArgs, err := typescript(options(req.GetInfo()))
	if err != nil {
		return nil, err
	}
	// A pack's directory comes last, after any arguments (the runner reads it from there).
	args := append([]string{run}, nodeArgs...)
	args = append(args, req.GetArgs()...)
	args = append(args, dir)
	cmd := exec.Command(node, args...)
	cmd.Dir = dir
	cmd.Env = append(append([]string{}, req.GetEnv()...), env...)
	return cmd, nil
}
