// Small helpers the Blazor components call; no inline scripts (the Content-Security-Policy forbids them).
window.schoolCrm = {
    submitForm: function (id) {
        document.getElementById(id).submit();
    }
};
