// Entry point of the agent inbox page (/inbox): loads the stylesheet and mounts the app.
import { render } from 'preact';
import { App } from './App';
import './inbox.css';

document.title = 'Parley Inbox';
const root = document.getElementById('root');
if (root) render(<App />, root);
