package io.sluice.demoapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo's gRPC contract, built in code instead of generated from a .proto (the machine has no protoc to rely on,
 * and a client of Sluice's gRPC source needs none either). Written as a .proto it reads:
 *
 * <pre>
 * syntax = "proto3";
 * package sluice.demo.v1;
 * message StreamUsersRequest { int64 since = 1; string seed = 2; double rate = 3; int64 total = 4; string fail = 5;
 *                              int64 cancel_after = 6; int64 unavailable_every = 7; }
 * message UserEvent { int64 seq = 1; repeated User results = 2; }   // results: one user, as randomuser.me's array
 * message User { string gender = 1; Name name = 2; Location location = 3; string email = 4; Login login = 5;
 *                Dated dob = 6; Dated registered = 7; string phone = 8; string cell = 9; Id id = 10;
 *                Picture picture = 11; string nat = 12; }
 * ...
 * service Users { rpc StreamUsers(StreamUsersRequest) returns (stream UserEvent); }
 * </pre>
 * {@code seq} is the user's index + 1; {@code since} resumes after that seq (0: from the start).
 */
public final class GrpcUsersProto {
    public static final String SERVICE = "sluice.demo.v1.Users";
    public static final String METHOD = SERVICE + "/StreamUsers";
    public static final FileDescriptorProto PROTO = proto();
    public static final FileDescriptor FILE = build();
    public static final Descriptor REQUEST = FILE.findMessageTypeByName("StreamUsersRequest");
    public static final Descriptor EVENT = FILE.findMessageTypeByName("UserEvent");
    public static final Descriptor USER = FILE.findMessageTypeByName("User");

    private GrpcUsersProto() {
    }

    /** Writes the contract as {@code protoc --descriptor_set_out} would: for clients of a server without reflection. */
    public static Path writeDescriptorSet(Path file) throws IOException {
        Files.write(file, FileDescriptorSet.newBuilder().addFile(PROTO).build().toByteArray());
        return file;
    }

    /** A {@code UserEvent}: {@code seq} and the user of {@link UserGenerator} as a one-element {@code results}. */
    public static DynamicMessage event(long seq, JsonNode user) {
        return DynamicMessage.newBuilder(EVENT).setField(EVENT.findFieldByName("seq"), seq)
                .addRepeatedField(EVENT.findFieldByName("results"), message(USER, user)).build();
    }

    private static DynamicMessage message(Descriptor type, JsonNode json) {
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
        for (FieldDescriptor field : type.getFields()) {
            JsonNode value = json.get(field.getName());
            if (value == null || value.isNull()) {
                continue;
            }
            builder.setField(field, switch (field.getJavaType()) {
                case MESSAGE -> message(field.getMessageType(), value);
                case INT -> value.asInt();
                default -> value.asText(); // postcode is a number in some nations, text in others
            });
        }
        return builder.build();
    }

    private static FileDescriptorProto proto() {
        return FileDescriptorProto.newBuilder().setName("sluice/demo/v1/users.proto").setPackage("sluice.demo.v1")
                .setSyntax("proto3")
                .addMessageType(message("StreamUsersRequest", field("since", 1, Type.TYPE_INT64),
                        field("seed", 2, Type.TYPE_STRING), field("rate", 3, Type.TYPE_DOUBLE),
                        field("total", 4, Type.TYPE_INT64), field("fail", 5, Type.TYPE_STRING),
                        field("cancel_after", 6, Type.TYPE_INT64), field("unavailable_every", 7, Type.TYPE_INT64)))
                .addMessageType(message("UserEvent", field("seq", 1, Type.TYPE_INT64),
                        field("results", 2, "User").setLabel(Label.LABEL_REPEATED)))
                .addMessageType(message("User", field("gender", 1, Type.TYPE_STRING), field("name", 2, "Name"),
                        field("location", 3, "Location"), field("email", 4, Type.TYPE_STRING),
                        field("login", 5, "Login"), field("dob", 6, "Dated"), field("registered", 7, "Dated"),
                        field("phone", 8, Type.TYPE_STRING), field("cell", 9, Type.TYPE_STRING), field("id", 10, "Id"),
                        field("picture", 11, "Picture"), field("nat", 12, Type.TYPE_STRING)))
                .addMessageType(message("Name", text("title", 1), text("first", 2), text("last", 3)))
                .addMessageType(message("Street", field("number", 1, Type.TYPE_INT32), text("name", 2)))
                .addMessageType(message("Coordinates", text("latitude", 1), text("longitude", 2)))
                .addMessageType(message("Timezone", text("offset", 1), text("description", 2)))
                .addMessageType(message("Location", field("street", 1, "Street"), text("city", 2), text("state", 3),
                        text("country", 4), text("postcode", 5), field("coordinates", 6, "Coordinates"),
                        field("timezone", 7, "Timezone")))
                .addMessageType(message("Login", text("uuid", 1), text("username", 2), text("password", 3),
                        text("salt", 4), text("md5", 5), text("sha1", 6), text("sha256", 7)))
                .addMessageType(message("Dated", text("date", 1), field("age", 2, Type.TYPE_INT32)))
                .addMessageType(message("Id", text("name", 1), text("value", 2)))
                .addMessageType(message("Picture", text("large", 1), text("medium", 2), text("thumbnail", 3)))
                .addService(ServiceDescriptorProto.newBuilder().setName("Users")
                        .addMethod(MethodDescriptorProto.newBuilder().setName("StreamUsers")
                                .setInputType(".sluice.demo.v1.StreamUsersRequest")
                                .setOutputType(".sluice.demo.v1.UserEvent").setServerStreaming(true)))
                .build();
    }

    private static DescriptorProto message(String name, FieldDescriptorProto.Builder... fields) {
        DescriptorProto.Builder message = DescriptorProto.newBuilder().setName(name);
        for (FieldDescriptorProto.Builder field : fields) {
            message.addField(field);
        }
        return message.build();
    }

    private static FieldDescriptorProto.Builder text(String name, int number) {
        return field(name, number, Type.TYPE_STRING);
    }

    private static FieldDescriptorProto.Builder field(String name, int number, Type type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(Label.LABEL_OPTIONAL).setJsonName(jsonName(name));
    }

    private static FieldDescriptorProto.Builder field(String name, int number, String messageType) {
        return field(name, number, Type.TYPE_MESSAGE).setTypeName(".sluice.demo.v1." + messageType);
    }

    private static String jsonName(String name) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static FileDescriptor build() {
        try {
            return FileDescriptor.buildFrom(PROTO, new FileDescriptor[0]);
        } catch (DescriptorValidationException e) {
            throw new IllegalStateException("the demo's gRPC contract is invalid: " + e.getMessage(), e);
        }
    }
}
