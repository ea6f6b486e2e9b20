// Package deploy gets a new node from "it exists" to "it runs my software":
// DeployNode creates a node with any compute.Driver, waits until it runs and
// has an address, logs in over SSH and runs deployment steps on it. It is
// Libcloud's deploy_node with its holes closed.
//
// # Steps
//
// SSHKeyDeployment authorises a public key, FileDeployment uploads a file,
// ScriptDeployment and ScriptFileDeployment upload and run a script
// (recording its stdout, stderr and exit status; a non-zero exit fails the
// step unless AllowFailure is set), MultiStepDeployment chains steps. Any
// type implementing Deployment is a step too; it gets a Client to run
// commands and upload files.
//
// # Safety
//
//   - The host key is always verified, against a known_hosts file
//     (optionally accepting and recording a new host) or pinned SHA-256
//     fingerprints; skipping verification must be asked for
//     (InsecureIgnoreHostKey) and is logged as a warning. A key accepted
//     once is pinned for the rest of the deployment.
//   - Options, private keys and steps are checked before the node is
//     created.
//   - Once the node exists, a failure returns a *DeploymentError carrying
//     the node and the failing step; the node is destroyed (the default) or
//     kept as Options.OnFailure says, also when the context was canceled.
//   - Passwords, private keys, passphrases, script contents and script
//     arguments never appear in logs or errors.
//   - Each command can have a timeout; a command that runs past it is
//     killed and reported as a *CommandTimeoutError with its partial output.
//   - Script arguments are quoted for the shell.
//
// # Connection
//
// DeployNode connects to the node's addresses on Options.Interface (public
// by default, IPv4 by default), on Options.Port, else the port the provider
// reports in node.Extra["ssh_port"], else 22. It tries Options.Username and
// then each alternate user name, offering the private keys and then the
// password, and retries refused connections, failed handshakes and
// rejected logins until Options.ConnectTimeout; a host key that fails
// verification ends the deployment at once. When the connection breaks
// under a step, DeployNode reconnects and tries the step again, up to
// Options.MaxTries times.
//
// Files are uploaded with the scp protocol ("scp -t" on the node), falling
// back to "cat" through the shell on nodes without scp. The node's login
// shell must be a POSIX shell.
package deploy
