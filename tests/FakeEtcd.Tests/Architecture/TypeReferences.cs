using Mono.Cecil;
using Mono.Cecil.Cil;

namespace FakeEtcd.Tests.Architecture;

/// <summary>
/// Which of an assembly's own types each of its types references, read from the compiled IL:
/// base types, interfaces, fields, properties, signatures, locals, and every type, method and field
/// an instruction names (generic arguments included). Nested and compiler-generated types (lambdas,
/// async state machines) count as their outermost declaring type.
/// </summary>
internal static class TypeReferences
{
    public static IReadOnlyList<(TypeDefinition From, TypeDefinition To)> Of(string assemblyPath)
    {
        using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath);
        var module = assembly.MainModule;
        var found = new HashSet<(TypeDefinition, TypeDefinition)>();
        foreach (var type in module.GetTypes())
        {
            var from = Outermost(type);
            void Add(TypeReference? reference) => AddReferenced(module, from, reference, found);
            Add(type.BaseType);
            foreach (var implemented in type.Interfaces)
            {
                Add(implemented.InterfaceType);
            }

            foreach (var field in type.Fields)
            {
                Add(field.FieldType);
            }

            foreach (var property in type.Properties)
            {
                Add(property.PropertyType);
            }

            foreach (var method in type.Methods)
            {
                AddMethod(method, Add);
            }
        }

        return [.. found];
    }

    private static void AddMethod(MethodDefinition method, Action<TypeReference?> add)
    {
        add(method.ReturnType);
        foreach (var parameter in method.Parameters)
        {
            add(parameter.ParameterType);
        }

        if (!method.HasBody)
        {
            return;
        }

        foreach (var variable in method.Body.Variables)
        {
            add(variable.VariableType);
        }

        foreach (var instruction in method.Body.Instructions)
        {
            AddOperand(instruction, add);
        }
    }

    private static void AddOperand(Instruction instruction, Action<TypeReference?> add)
    {
        switch (instruction.Operand)
        {
            case TypeReference type:
                add(type);
                break;
            case GenericInstanceMethod generic:
                add(generic.DeclaringType);
                add(generic.ReturnType);
                foreach (var argument in generic.GenericArguments)
                {
                    add(argument);
                }

                break;
            case MethodReference called:
                add(called.DeclaringType);
                add(called.ReturnType);
                break;
            case FieldReference field:
                add(field.DeclaringType);
                add(field.FieldType);
                break;
        }
    }

    private static void AddReferenced(ModuleDefinition module, TypeDefinition from, TypeReference? reference, HashSet<(TypeDefinition, TypeDefinition)> found)
    {
        switch (reference)
        {
            case null:
                return;
            case GenericInstanceType generic:
                foreach (var argument in generic.GenericArguments)
                {
                    AddReferenced(module, from, argument, found);
                }

                AddReferenced(module, from, generic.ElementType, found);
                return;
            case TypeSpecification specification:
                AddReferenced(module, from, specification.ElementType, found);
                return;
            case TypeDefinition own when own.Module == module:
                var to = Outermost(own);
                if (to != from)
                {
                    found.Add((from, to));
                }

                return;
        }
    }

    private static TypeDefinition Outermost(TypeDefinition type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }
}
