// A stand-in for the pulumi-language-nodejs and pulumi-language-python hosts, for the real-engine
// suite only; one binary installed under both names, the name choosing the runtime (python.go serves
// programs only).
//
// The real hosts are their own Go modules (e.g. github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3)
// and the Go module proxy this project builds from does not serve them (every version answers 403), so
// the suite runs the real CLI with this host in their place. For Node.js it does what the real host's
// Run and RunPlugin do (sdk/nodejs/cmd/pulumi-language-nodejs/main.go at v3.259.0, the newest release read):
// the same node entry points, arguments, environment and working directory, and for policy packs the
// SDK's own PolicyProxy (sdk/v3 policy_proxy.go) to learn the stack before starting the pack. It leaves
// out what the suite does not use: debugging, bun, tracing, code generation, dependency installs, the
// monitor proxy and the sync pipes (the Node.js SDK talks to the monitor directly without them), and
// GetRequiredPackages answers no packages (the engine loads providers when a resource names them; here
// they are stand-ins found on PATH).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// The exit status with which the Node.js runner says it has already shown an actionable message.
const bailStatus = 32

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
	tracing       string
	runtime       runtime
}

// runtime is what differs between the languages this stand-in serves.
type runtime interface {
	// program returns the command that runs a program for the request.
	program(req *pulumirpc.RunRequest, engine, tracing string) (*exec.Cmd, error)
	// analyzer returns the command that starts a policy pack.
	analyzer(req *pulumirpc.RunPluginRequest) (*exec.Cmd, error)
	// stackEnvPrefix names the environment variables through which a pack learns its stack.
	stackEnvPrefix() string
}

func main() {
	tracing := flag.String("tracing", "", "tracing endpoint (passed on to programs)")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.String("runtime", "", "ignored (the real host's bun switch)")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.Version)
		return
	}
	var rt runtime
	switch name := filepath.Base(os.Args[0]); name {
	case "pulumi-language-nodejs":
		rt = nodejs{}
	case "pulumi-language-python":
		rt = python{}
	default:
		cmdutil.Exit(fmt.Errorf("unknown language host name %q", name))
	}
	h := &host{tracing: *tracing, runtime: rt}
	if args := flag.Args(); len(args) > 0 {
		h.engineAddress = args[0]
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if h.engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, h.engineAddress, 0, cancel); err != nil {
			cmdutil.Exit(err)
		}
	}
	stop := make(chan bool)
	go func() { <-ctx.Done(); close(stop) }()
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
	})
	if err != nil {
		cmdutil.Exit(err)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(err)
	}
}

func (h *host) Handshake(ctx context.Context, req *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.engineAddress = req.EngineAddress
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

func (h *host) GetRequiredPlugins(context.Context, *pulumirpc.GetRequiredPluginsRequest) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *host) GetRequiredPackages(context.Context, *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// Run runs a program to completion, its output wired to the host's (which the engine shows).
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	cmd, err := h.runtime.program(req, h.engineAddress, h.tracing)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err)}, nil
		}
		if exit.ExitCode() == bailStatus {
			return &pulumirpc.RunResponse{Bail: true}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exit.ExitCode())}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// RunPlugin starts a policy pack: the SDK's PolicyProxy answers the engine's first calls, hands the
// stack (organization, project, stack, dry run, configuration) to the pack's environment, then
// forwards everything to the pack once it prints its port.
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	if req.Kind != string(apitype.AnalyzerPlugin) {
		return fmt.Errorf("this host runs policy packs only, not %q plugins", req.Kind)
	}
	ctx := server.Context()
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()
	cmd, err := h.runtime.analyzer(req)
	if err != nil {
		return err
	}
	proxy, stdout, err := sdk.NewPolicyProxy(ctx, stdout)
	if err != nil {
		return fmt.Errorf("could not start policy pack proxy: %w", err)
	}
	stack, err := proxy.AwaitConfiguration(ctx)
	if err != nil {
		return fmt.Errorf("could not get stack configuration: %w", err)
	}
	if stack != nil {
		add := func(k, v string) {
			if v != "" {
				cmd.Env = append(cmd.Env, k+"="+v)
			}
		}
		prefix := h.runtime.stackEnvPrefix()
		add(prefix+"ORGANIZATION", stack.Organization)
		add(prefix+"PROJECT", stack.Project)
		add(prefix+"STACK", stack.Stack)
		add(prefix+"DRY_RUN", strconv.FormatBool(stack.DryRun))
		if stack.Config != nil {
			text, err := json.Marshal(stack.Config)
			if err != nil {
				return err
			}
			add("PULUMI_CONFIG", string(text))
		}
	}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("Problem executing plugin program (could not run language executor): %w", err)
	}
	if err := proxy.Attach(ctx, cmd); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if status, ok := exit.Sys().(syscall.WaitStatus); ok {
				return fmt.Errorf("Program exited with non-zero exit code: %d", status.ExitStatus())
			}
		}
		return fmt.Errorf("could not attach policy pack proxy: %w", err)
	}
	return closer.Close()
}

// engineConfig turns the engine's `<pkg>:<name>` keys into the `<pkg>:config:<name>` form the
// language runtimes read, as the real hosts do.
func engineConfig(req *pulumirpc.RunRequest) (string, string, error) {
	out := make(map[string]string, len(req.GetConfig()))
	for k, v := range req.GetConfig() {
		key, err := config.ParseKey(k)
		if err != nil {
			return "", "", err
		}
		out[key.Namespace()+":config:"+key.Name()] = v
	}
	cfg, err := json.Marshal(out)
	if err != nil {
		return "", "", err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	keys, err := json.Marshal(secretKeys)
	return string(cfg), string(keys), err
}

// options reads the project's runtime options (Pulumi.yaml `runtime.options`).
func options(info *pulumirpc.ProgramInfo) map[string]any {
	if info == nil || info.Options == nil {
		return map[string]any{}
	}
	return info.Options.AsMap()
}

// flagArgs are the runner's `--name value` arguments, left out where the value is empty.
func flagArgs(pairs ...string) []string {
	var out []string
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			out = append(out, "--"+pairs[i], pairs[i+1])
		}
	}
	return out
}

func entryPoint(info *pulumirpc.ProgramInfo) string {
	if info == nil || info.EntryPoint == "" {
		return "."
	}
	return info.EntryPoint
}

func programDir(info *pulumirpc.ProgramInfo, fallback string) string {
	if info == nil || info.ProgramDirectory == "" {
		return fallback
	}
	return info.ProgramDirectory
}

func lookPath(name string) (string, error) {
	bin, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("could not find %s on the $PATH: %w", name, err)
	}
	return bin, nil
}
