package ec2

import (
	"errors"
	"fmt"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/goclouds/goclouds/compute"
)

// errorCodes maps EC2 error codes to compute error kinds: the one place
// where the driver interprets them (docs/providers/ec2.md shows the table).
// Codes not listed are classified by codeSuffixes, then by HTTP status.
var errorCodes = map[string]error{
	"InvalidKeyPair.Duplicate":    compute.ErrAlreadyExists,
	"InvalidGroup.Duplicate":      compute.ErrAlreadyExists,
	"InvalidPermission.Duplicate": compute.ErrAlreadyExists,

	"RequestLimitExceeded": compute.ErrThrottled,
	"Throttling":           compute.ErrThrottled,
	"ThrottlingException":  compute.ErrThrottled,
	"RequestThrottled":     compute.ErrThrottled,

	"UnauthorizedOperation":      compute.ErrPermissionDenied,
	"AuthFailure":                compute.ErrPermissionDenied,
	"SignatureDoesNotMatch":      compute.ErrPermissionDenied,
	"InvalidClientTokenId":       compute.ErrPermissionDenied,
	"MissingAuthenticationToken": compute.ErrPermissionDenied,
	"ExpiredToken":               compute.ErrPermissionDenied,
	"RequestExpired":             compute.ErrPermissionDenied,
	"OptInRequired":              compute.ErrPermissionDenied,
	"Blocked":                    compute.ErrPermissionDenied,
	"OperationNotPermitted":      compute.ErrPermissionDenied,

	"InstanceLimitExceeded":        compute.ErrQuotaExceeded,
	"VcpuLimitExceeded":            compute.ErrQuotaExceeded,
	"VolumeLimitExceeded":          compute.ErrQuotaExceeded,
	"AddressLimitExceeded":         compute.ErrQuotaExceeded,
	"SnapshotLimitExceeded":        compute.ErrQuotaExceeded,
	"ResourceLimitExceeded":        compute.ErrQuotaExceeded,
	"MaxSpotInstanceCountExceeded": compute.ErrQuotaExceeded,

	"IncorrectInstanceState":            compute.ErrConflict,
	"IncorrectState":                    compute.ErrConflict,
	"InvalidState":                      compute.ErrConflict,
	"VolumeInUse":                       compute.ErrConflict,
	"DependencyViolation":               compute.ErrConflict,
	"InvalidGroup.InUse":                compute.ErrConflict,
	"InvalidIPAddress.InUse":            compute.ErrConflict,
	"Resource.AlreadyAssociated":        compute.ErrConflict,
	"IdempotentParameterMismatch":       compute.ErrConflict,
	"InvalidVolume.ZoneMismatch":        compute.ErrInvalidArgument,
	"InvalidParameterValue":             compute.ErrInvalidArgument,
	"InvalidParameter":                  compute.ErrInvalidArgument,
	"InvalidParameterCombination":       compute.ErrInvalidArgument,
	"MissingParameter":                  compute.ErrInvalidArgument,
	"UnknownParameter":                  compute.ErrInvalidArgument,
	"ValidationError":                   compute.ErrInvalidArgument,
	"InvalidKey.Format":                 compute.ErrInvalidArgument,
	"InvalidKeyPair.Format":             compute.ErrInvalidArgument,
	"InvalidUserData.Malformed":         compute.ErrInvalidArgument,
	"InvalidBlockDeviceMapping":         compute.ErrInvalidArgument,
	"InvalidInstanceType":               compute.ErrInvalidArgument,
	"InvalidAMIName.Malformed":          compute.ErrInvalidArgument,
	"InvalidAMIName.Duplicate":          compute.ErrAlreadyExists,
	"Unsupported":                       compute.ErrNotSupported,
	"UnsupportedOperation":              compute.ErrNotSupported,
	"InvalidAction":                     compute.ErrNotSupported,
	"InsufficientInstanceCapacity":      compute.ErrUnavailable,
	"InsufficientAddressCapacity":       compute.ErrUnavailable,
	"InsufficientFreeAddressesInSubnet": compute.ErrQuotaExceeded,
	"InternalError":                     compute.ErrUnavailable,
	"InternalFailure":                   compute.ErrUnavailable,
	"ServiceUnavailable":                compute.ErrUnavailable,
	"Unavailable":                       compute.ErrUnavailable,
}

// codeSuffixes classify the families of codes: "<Resource>.NotFound" and
// "<Resource>.Malformed" (an id that cannot name anything names nothing),
// "<Resource>.Duplicate", "<Resource>.InUse", "...LimitExceeded".
var codeSuffixes = []struct {
	suffix string
	kind   error
}{
	{".NotFound", compute.ErrNotFound},
	{".Malformed", compute.ErrNotFound},
	{".Duplicate", compute.ErrAlreadyExists},
	{".InUse", compute.ErrConflict},
	{"LimitExceeded", compute.ErrQuotaExceeded},
}

// KindOfCode returns the compute error kind of an EC2 error code and its
// HTTP status (0 when unknown): the table above, then the code's family,
// then ErrUnavailable for a 5xx status and ErrInvalidArgument for any
// other code.
func KindOfCode(code string, status int) error {
	if k, ok := errorCodes[code]; ok {
		return k
	}
	for _, s := range codeSuffixes {
		if strings.HasSuffix(code, s.suffix) {
			return s.kind
		}
	}
	if status >= 500 {
		return compute.ErrUnavailable
	}
	return compute.ErrInvalidArgument
}

// wrap turns an SDK error into a *compute.Error of the right kind, keeping
// the SDK's error (a smithy.APIError with the code, message and request
// id) reachable through errors.As. Context errors pass through unchanged;
// errors without an EC2 answer (connection failures, truncated answers)
// are ErrUnavailable.
func wrap(op, id string, err error) error {
	if err == nil {
		return nil
	}
	var ce *compute.Error
	if errors.As(err, &ce) {
		return err
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return compute.NewError(provider, op, id, KindOfCode(ae.ErrorCode(), httpStatus(err)), err)
	}
	return compute.NewError(provider, op, id, compute.ErrUnavailable, err)
}

// httpStatus returns the HTTP status of the answer an SDK error came
// with, or 0.
func httpStatus(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// errorCode returns the EC2 error code of err, or "".
func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// TerminatedError is the error GetNode (and the lifecycle calls) give
// for an instance that EC2 still lists but that is terminated: it matches
// compute.ErrNotFound, since for the portable API the node is gone, and
// carries the node as EC2 last showed it (State types.NodeStateTerminated).
type TerminatedError struct {
	// Node is the terminated instance.
	Node *compute.Node
}

// Error says that the instance is terminated.
func (e *TerminatedError) Error() string {
	reason, _ := e.Node.Extra["state_reason"].(string)
	if reason != "" {
		return fmt.Sprintf("instance %s is terminated (%s)", e.Node.ID, reason)
	}
	return fmt.Sprintf("instance %s is terminated", e.Node.ID)
}

// notFoundTerminated is the error of an operation on a terminated node.
func notFoundTerminated(op string, n *compute.Node) error {
	return compute.NewError(provider, op, n.ID, compute.ErrNotFound, &TerminatedError{Node: n})
}
