using Microsoft.Extensions.Localization;
using SchoolCrm.Domain;

namespace SchoolCrm.Web.Features.Common;

/// <summary>Turns a domain error code into the user's language: the feature's own texts first, then the shared ones.</summary>
public sealed class ErrorMessages(IStringLocalizer<SharedText> shared)
{
    public string For(DomainException error, IStringLocalizer? feature = null) => For(error.Code, feature);

    public string For(string code, IStringLocalizer? feature = null)
    {
        var key = "Error_" + code;
        if (feature is not null)
        {
            var own = feature[key];
            if (!own.ResourceNotFound)
            {
                return own.Value;
            }
        }

        var common = shared[key];
        return common.ResourceNotFound ? shared["Error_domain.error"].Value : common.Value;
    }
}
