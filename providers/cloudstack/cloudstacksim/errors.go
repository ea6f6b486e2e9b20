package cloudstacksim

import "fmt"

// ApiErrorCode values: the errorcode of an error answer, which is also the
// HTTP status the server sends (reference §2.1).
const (
	CodeUnauthorized              = 401
	CodeMethodNotAllowed          = 405
	CodeAPILimitExceeded          = 429
	CodeMalformedParameter        = 430
	CodeParamError                = 431
	CodeUnsupportedAction         = 432
	CodeInternalError             = 530
	CodeAccountError              = 531
	CodeAccountResourceLimitError = 532
	CodeInsufficientCapacity      = 533
	CodeResourceUnavailable       = 534
	CodeResourceAllocation        = 535
	CodeResourceInUse             = 536
	CodeNetworkRuleConflict       = 537
)

// CSExceptionErrorCode values: the cserrorcode of an error answer, naming the
// Java exception behind it.
const (
	CSCloudRuntime          = 4250
	CSAccountLimit          = 4280
	CSInsufficientCapacity  = 4325
	CSInvalidParameterValue = 4350
	CSNetworkRuleConflict   = 4360
	CSPermissionDenied      = 4365
	CSResourceAllocation    = 4370
	CSResourceInUse         = 4375
	CSResourceUnavailable   = 4380
	CSServerAPIException    = 9999
)

// userErrorMessage replaces the text of 530, 533 and 534 errors raised by the
// service layer when the caller is not a root admin (BaseCmd.USER_ERROR_MESSAGE).
const userErrorMessage = "Internal error executing command, please contact your system administrator"

// apiError is an error answer: errorcode (= HTTP status), cserrorcode (0 when
// absent, as on the 401 of a failed signature check) and errortext.
type apiError struct {
	code int
	cs   int
	text string
	// hide marks service-layer errors whose text a non-root-admin caller
	// does not see (530, 533, 534).
	hide bool
	// generic forces the "errorresponse" envelope name.
	generic bool
}

// Error implements error.
// Error implements error.
func (e *apiError) Error() string { return fmt.Sprintf("%d (%d): %s", e.code, e.cs, e.text) }

// textFor returns the errortext the caller sees.
func (e *apiError) textFor(rootAdmin bool) string {
	if e.hide && !rootAdmin {
		return userErrorMessage
	}
	return e.text
}

// errorf builds an apiError of the given codes.
func errorf(code, cs int, format string, args ...any) *apiError {
	return &apiError{code: code, cs: cs, text: fmt.Sprintf(format, args...)}
}

// paramError is a ServerApiException(PARAM_ERROR) raised while processing
// parameters: 431 / 9999.
func paramError(format string, args ...any) *apiError {
	return errorf(CodeParamError, CSServerAPIException, format, args...)
}

// invalidParam is an InvalidParameterValueException from the service layer:
// 431 / 4350.
func invalidParam(format string, args ...any) *apiError {
	return errorf(CodeParamError, CSInvalidParameterValue, format, args...)
}

// permissionDenied is a PermissionDeniedException: 531 / 4365.
func permissionDenied(format string, args ...any) *apiError {
	return errorf(CodeAccountError, CSPermissionDenied, format, args...)
}

// internalError is a CloudRuntimeException: 530 / 4250, hidden from users.
func internalError(format string, args ...any) *apiError {
	e := errorf(CodeInternalError, CSCloudRuntime, format, args...)
	e.hide = true
	return e
}

// resourceInUse is a ResourceInUseException: 536 / 4375.
func resourceInUse(format string, args ...any) *apiError {
	return errorf(CodeResourceInUse, CSResourceInUse, format, args...)
}

// ruleConflict is a NetworkRuleConflictException: 537 / 4360.
func ruleConflict(format string, args ...any) *apiError {
	return errorf(CodeNetworkRuleConflict, CSNetworkRuleConflict, format, args...)
}

// limitExceeded is a ResourceAllocationException for an account limit: 532 / 4370.
func limitExceeded(format string, args ...any) *apiError {
	return errorf(CodeAccountResourceLimitError, CSResourceAllocation, format, args...)
}

// Texts of the real server, reused by several commands.
const (
	textUnableToVerify = "unable to verify user credentials and/or request signature"
	textPageNeedsSize  = `"page" parameter is required when "pagesize" is specified`
)

// missingParam is the real "missing parameter" error.
func missingParam(apiName, param string) *apiError {
	return paramError("Unable to execute API command %s due to missing parameter %s", apiName, param)
}

// badValue is the real error for a value that does not parse as its type.
func badValue(apiName, value, param string) *apiError {
	return paramError("Unable to execute API command %s due to invalid value %s for parameter %s", apiName, value, param)
}

// notFound is the real error for an id that names no entity.
func notFound(apiName, param, value string) *apiError {
	return paramError("Unable to execute API command %s due to invalid value. Invalid parameter %s value=%s due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.", apiName, param, value)
}
