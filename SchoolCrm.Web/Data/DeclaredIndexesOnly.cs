using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using Microsoft.EntityFrameworkCore.Metadata.Conventions.Infrastructure;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Students;
using SchoolCrm.Domain.Tasks;

namespace SchoolCrm.Web.Data;

/// <summary>
/// EF Core indexes every foreign key by convention. On the tables that grow with every lead that is an index per
/// audit column (created by, updated by, comment author, history user) that no query reads and that every imported
/// lead pays for; users are disabled, never deleted, so no delete needs them either. On these tables only the
/// indexes declared in their configurations exist, each with the query it serves; every other table keeps the
/// convention.
/// </summary>
internal sealed class DeclaredIndexesOnly(ProviderConventionSetBuilderDependencies dependencies)
    : ForeignKeyIndexConvention(dependencies)
{
    private static readonly HashSet<Type> GrowingTables =
        [typeof(Lead), typeof(Student), typeof(CustomFieldValue), typeof(Comment), typeof(HistoryEntry),
            typeof(CrmTask), typeof(CrmEvent), typeof(EventParticipant)];

    protected override IConventionIndex? CreateIndex(
        IReadOnlyList<IConventionProperty> properties, bool unique, IConventionEntityTypeBuilder entityTypeBuilder)
    {
        ArgumentNullException.ThrowIfNull(entityTypeBuilder);
        return GrowingTables.Contains(entityTypeBuilder.Metadata.ClrType)
            ? null
            : base.CreateIndex(properties, unique, entityTypeBuilder);
    }
}
