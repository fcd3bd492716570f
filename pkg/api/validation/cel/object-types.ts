// Opaque CEL object types of the Kubernetes libraries (kubernetes.Quantity,
// net.IP, net.CIDR, kubernetes.URL, ...). @bufbuild/cel only knows protobuf
// messages as object types, so each is declared as a one-field message whose
// field holds a canonical text form: protobuf equality on that text is then the
// same as the upstream type's Equal (e.g. quantity("1") == quantity("1000m")).
// @bufbuild/protobuf is @bufbuild/cel's required peer dependency.

import { create, createFileRegistry, type DescMessage, type Registry } from '@bufbuild/protobuf';
import { FieldDescriptorProto_Label, FieldDescriptorProto_Type, FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { reflect, isReflectMessage, type ReflectMessage } from '@bufbuild/protobuf/reflect';
import { objectType, type CelObjectType, type CelValue } from '@bufbuild/cel';

/** Full CEL type names, as upstream declares them. */
const TYPE_NAMES = ['kubernetes.Quantity', 'net.IP', 'net.CIDR', 'kubernetes.URL', 'kubernetes.NamedFormat', 'kubernetes.Semver', 'optional_type'] as const;
export type ObjectTypeName = (typeof TYPE_NAMES)[number];

function fileFor(typeName: string, index: number) {
  const dot = typeName.lastIndexOf('.');
  const pkg = dot < 0 ? '' : typeName.slice(0, dot);
  const name = typeName.slice(dot + 1);
  return create(FileDescriptorProtoSchema, {
    name: `stratus_cel_${index}.proto`,
    package: pkg,
    syntax: 'proto3',
    messageType: [
      {
        name,
        field: [{ name: 'text', jsonName: 'text', number: 1, type: FieldDescriptorProto_Type.STRING, label: FieldDescriptorProto_Label.OPTIONAL }],
      },
    ],
  });
}

export const objectRegistry: Registry = createFileRegistry(...TYPE_NAMES.map((n, i) => createFileRegistry(fileFor(n, i), () => undefined)));

const descs = new Map<ObjectTypeName, DescMessage>(TYPE_NAMES.map((n) => [n, objectRegistry.getMessage(n)!]));

/** The CEL type of one of the library object types. */
export function celObjectType(name: ObjectTypeName): CelObjectType {
  return objectType(descs.get(name)!);
}

/** Makes a value of the given object type carrying `text`. */
export function makeObject(name: ObjectTypeName, text: string): ReflectMessage {
  const desc = descs.get(name)!;
  return reflect(desc, create(desc, { text } as never));
}

/** The carried text of an object value (the receiver of a library method). */
export function objectText(v: CelValue): string {
  return (v as ReflectMessage).message['text' as never] as string;
}

/** True if `v` is a value of the given object type. */
export function isObjectOf(v: unknown, name: ObjectTypeName): v is ReflectMessage {
  return isReflectMessage(v) && v.desc.typeName === name;
}
