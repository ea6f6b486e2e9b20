// Package providers is the registry of compute providers: [GetDriver] returns
// the [compute.Factory] for a provider name, [Register] adds third-party
// providers, and [Providers] lists what is available.
//
// Built-in providers (dummy, cloudstack and the CloudStack-based presets
// exoscale, ikoula and auroracompute) are compiled in: no blank import is
// needed. Names match case-insensitively, as in Libcloud (whose spelling
// "aurora_compute" is accepted for "auroracompute").
//
//	factory, err := providers.GetDriver(types.ProviderCloudStack)
//	if err != nil {
//		log.Fatal(err)
//	}
//	d, err := factory(compute.Config{URL: url, Key: key, Secret: secret})
//
// A third-party provider registers its factory once, from its package's
// init or from main; docs/writing-a-provider.md shows how to write and test
// one:
//
//	if err := providers.Register("acme", acme.Factory); err != nil {
//		log.Fatal(err)
//	}
package providers
