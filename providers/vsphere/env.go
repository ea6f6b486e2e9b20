package vsphere

import (
	"os"
	"strconv"
)

// The environment variables the driver reads, with govc's names and
// meanings.
const (
	// EnvURL is the SDK URL, possibly carrying user:password@.
	EnvURL = "GOVC_URL"
	// EnvUsername is the user name.
	EnvUsername = "GOVC_USERNAME"
	// EnvPassword is the password.
	EnvPassword = "GOVC_PASSWORD"
	// EnvInsecure turns off certificate verification ("1", "true").
	EnvInsecure = "GOVC_INSECURE"
	// EnvCACerts is a PEM file list of certificate authorities.
	EnvCACerts = "GOVC_TLS_CA_CERTS"
	// EnvDatacenter, EnvDatastore, EnvResourcePool and EnvFolder set the
	// placement defaults.
	EnvDatacenter   = "GOVC_DATACENTER"
	EnvDatastore    = "GOVC_DATASTORE"
	EnvResourcePool = "GOVC_RESOURCE_POOL"
	EnvFolder       = "GOVC_FOLDER"
)

// applyEnv fills what o leaves empty from the GOVC_* variables: the URL,
// then (only for a URL from GOVC_URL) GOVC_INSECURE and GOVC_TLS_CA_CERTS,
// then the credentials and the placement defaults. It reports whether the
// URL came from the environment.
func applyEnv(o *Options) (fromEnv bool, err error) {
	if o.URL == "" {
		if v := os.Getenv(EnvURL); v != "" {
			o.URL, fromEnv = v, true
		}
	}
	if fromEnv {
		if v := os.Getenv(EnvInsecure); v != "" {
			b, perr := strconv.ParseBool(v)
			if perr != nil {
				return fromEnv, perr
			}
			o.Insecure = o.Insecure || b
		}
		if o.CAFile == "" {
			o.CAFile = os.Getenv(EnvCACerts)
		}
	}
	if o.Username == "" && o.Password == "" {
		o.Username, o.Password = os.Getenv(EnvUsername), os.Getenv(EnvPassword)
	}
	for _, f := range []struct {
		field *string
		env   string
	}{
		{&o.Datacenter, EnvDatacenter}, {&o.Datastore, EnvDatastore},
		{&o.ResourcePool, EnvResourcePool}, {&o.Folder, EnvFolder},
	} {
		if *f.field == "" {
			*f.field = os.Getenv(f.env)
		}
	}
	return fromEnv, nil
}
