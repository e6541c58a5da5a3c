package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// pythonExec is the runner that configures the Python SDK and runs a program, installed next to the
// host as the real host's exec shim is (build-engine copies support/real-engine/python/run.py there).
const pythonExec = "pulumi-language-python-exec"

// python runs Python programs as the real pulumi-language-python host does (Run and
// constructArguments in sdk/python/cmd/pulumi-language-python/main.go at v3.259.0, and the pip
// toolchain's Command in sdk/python/toolchain/pip.go): the project's `virtualenv` option, else python3
// on PATH; the runner's `--name value` arguments; the engine's configuration as it sends it. Policy
// packs stay Node.js, so it starts none.
type python struct{}

func (python) stackEnvPrefix() string { return "PULUMI_" }

func (python) analyzer(*pulumirpc.RunPluginRequest) (*exec.Cmd, error) {
	return nil, errors.New("this host runs Python programs, not Python policy packs")
}

// interpreter is the Python a program runs with and its environment: a virtualenv's python with the
// virtualenv activated (its bin first on PATH, VIRTUAL_ENV set, PYTHONHOME unset), or the ambient one.
func interpreter(opts map[string]any, root string) (string, []string, error) {
	venv, ok := opts["virtualenv"]
	if !ok {
		name := os.Getenv("PULUMI_PYTHON_CMD")
		if name == "" {
			name = "python3"
		}
		bin, err := lookPath(name)
		return bin, os.Environ(), err
	}
	dir, isString := venv.(string)
	if !isString {
		return "", nil, errors.New("virtualenv option must be a string")
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(root, dir)
	}
	bin := filepath.Join(dir, "bin", "python")
	if _, err := os.Stat(bin); err != nil {
		return "", nil, fmt.Errorf("the virtualenv %s has no bin/python: create it with `python3 -m venv %s` and install the requirements: %w", dir, dir, err)
	}
	env := []string{}
	hasPath := false
	for _, kv := range os.Environ() {
		key, value, _ := strings.Cut(kv, "=")
		switch key {
		case "PATH":
			hasPath = true
			env = append(env, "PATH="+filepath.Join(dir, "bin")+string(os.PathListSeparator)+value)
		case "PYTHONHOME", "VIRTUAL_ENV":
		default:
			env = append(env, kv)
		}
	}
	if !hasPath {
		env = append(env, "PATH="+filepath.Join(dir, "bin"))
	}
	return bin, append(env, "VIRTUAL_ENV="+dir), nil
}

func (python) program(req *pulumirpc.RunRequest, engine, tracing string) (*exec.Cmd, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("could not determine current executable: %w", err)
	}
	runner := filepath.Join(filepath.Dir(self), pythonExec)
	if _, err := os.Stat(runner); err != nil {
		return nil, fmt.Errorf("missing executor %s: %w", runner, err)
	}
	bin, env, err := interpreter(options(req.GetInfo()), req.GetInfo().GetRootDirectory())
	if err != nil {
		return nil, err
	}
	// The Python SDK reads the engine's `<pkg>:<name>` keys as they come (the real host does not
	// rewrite them as the Node.js host does).
	cfg, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, fmt.Errorf("failed to serialize configuration: %w", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	keys, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("failed to serialize configuration secret keys: %w", err)
	}
	args := append([]string{runner}, flagArgs(
		"monitor", req.GetMonitorAddress(),
		"engine", engine,
		"project", req.GetProject(),
		"root_directory", req.GetInfo().GetRootDirectory(),
		"stack", req.GetStack(),
		"pwd", req.GetPwd(),
		"dry_run", strconv.FormatBool(req.GetDryRun()),
		"parallel", strconv.Itoa(int(req.GetParallel())),
		"tracing", tracing,
		"organization", req.GetOrganization(),
	)...)
	args = append(args, entryPoint(req.GetInfo()))
	args = append(args, req.GetArgs()...)
	cmd := exec.Command(bin, args...)
	if req.GetConfig() != nil {
		env = append(env, "PULUMI_CONFIG="+string(cfg))
	}
	cmd.Env = append(env, "PULUMI_CONFIG_SECRET_KEYS="+string(keys))
	return cmd, nil
}
