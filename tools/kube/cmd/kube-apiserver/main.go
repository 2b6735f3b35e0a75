// Command kube-apiserver is the upstream apiserver main; this wrapper exists only because
// k8s.io/kubernetes cannot be `go install`ed (its go.mod has replace directives).
package main

import (
	"os"

	_ "time/tzdata"

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	command := app.NewAPIServerCommand()
	os.Exit(cli.Run(command))
}
